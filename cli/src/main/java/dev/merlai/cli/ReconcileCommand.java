package dev.merlai.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.concurrent.Callable;

/** Rebuilds the usage counters in Redis from the usage records in S3 (after Redis lost data, or to check). */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Rebuilds the usage counters (Redis) from the usage records (S3, the truth) and prints what it found.",
                "Exit code 0 when the counters agree with the records afterwards."},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {"0:the counters agree with the records", Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE,
                "70:differences are left, or an internal error"})
final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    AdminConnection admin;

    @Override
    public Integer call() throws IOException, InterruptedException {
        AdminConnection.Answer answer = admin.send("POST", "/admin/usage/reconcile", null);
        if (answer.status() != 200) return TenantsCommand.failed("reconcile", answer);
        var report = answer.body();
        System.out.printf("records %d, newly counted %d, corrected %d, differences left %d%n", report.path("records").asLong(),
                report.path("counted").asLong(), report.path("corrected").asLong(), report.path("differences").asLong());
        return report.path("differences").asLong() == 0 ? 0 : Merlai.INTERNAL_ERROR;
    }
}
