import { useState } from 'preact/hooks';
import { Api, type Invoice, type Usage } from '../api';
import { ErrorText } from './Field';

export interface Account { api: Api; invoice: Invoice; usage: Usage }

/** Signs in with an API key: the key is checked by reading the invoice preview, and kept for this tab only. */
export function SignIn({ onSignedIn }: { onSignedIn: (account: Account, key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const api = new Api(key.trim());
      const [invoice, usage] = await Promise.all([api.invoice(), api.usage()]);
      onSignedIn({ api, invoice, usage }, key.trim());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in</h2>
      <label for="api-key">API key</label>
      <input id="api-key" type="password" autocomplete="off" value={key} required aria-describedby={error ? 'sign-in-error' : undefined}
        aria-invalid={error ? 'true' : undefined} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled={busy || !key.trim()}>{busy ? 'Signing in…' : 'Sign in'}</button>
      <ErrorText error={error} id="sign-in-error" />
      <p class="hint">The key stays in this browser tab only (session storage) and is sent to this server alone.</p>
    </form>
  );
}

export function AccountSummary({ invoice, usage }: { invoice: Invoice; usage: Usage }) {
  return (
    <dl class="account" aria-label="Account">
      <div><dt>Tenant</dt><dd data-testid="tenant">{invoice.tenant}</dd></div>
      <div><dt>Plan</dt><dd data-testid="plan">{invoice.plan}</dd></div>
      <div><dt>Usage this month</dt><dd data-testid="usage">
        {Object.entries(usage.totals ?? {}).map(([unit, amount]) => `${amount} ${unit}`).join(', ') || 'none yet'}</dd></div>
      <div><dt>Invoice preview {invoice.period}</dt><dd data-testid="invoice">{invoice.total.toFixed(2)} {invoice.currency}</dd></div>
    </dl>
  );
}
