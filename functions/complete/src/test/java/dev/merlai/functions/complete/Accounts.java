package dev.merlai.functions.complete;

import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import io.quarkus.arc.Arc;

import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Tenants and their usage for tests, through the same registry and ledger the function uses (the admin and usage API
 * is the account function's, tested there).
 */
final class Accounts {

    private Accounts() {
    }

    /** Creates the tenant (or gives it one more key) and returns an API key. */
    static String key(String tenant, String plan) {
        return Arc.container().instance(TenantRegistry.class).get().issueKey(tenant, plan).apiKey();
    }

    static void revoke(String tenant) {
        Arc.container().instance(TenantRegistry.class).get().revoke(tenant).orElseThrow();
    }

    static String bearer(String apiKey) {
        return "Bearer " + apiKey;
    }

    /** The bars the tenant was billed this month (UTC), as the usage API reports them. */
    static long billedBars(String tenant) {
        return Arc.container().instance(UsageLedger.class).get().monthTotal(tenant, YearMonth.now(ZoneOffset.UTC), Unit.BARS);
    }
}
