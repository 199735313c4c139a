import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';

/** An error in words, read out by screen readers, next to what caused it. */
export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const text = error instanceof ApiError
    ? `${error.title}: ${error.detail}${error.field ? ` (field ${error.field})` : ''}`
    : error instanceof Error ? error.message : String(error);
  return <p class="error" role="alert" id={id}>{text}</p>;
}

export function Panel({ title, children, id }: { title: string; children: ComponentChildren; id: string }) {
  return (
    <section class="panel" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
