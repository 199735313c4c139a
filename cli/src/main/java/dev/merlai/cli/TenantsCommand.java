package dev.merlai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/** The operator's tenant commands, through the admin API. */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = {"Creates, revokes and lists the tenants of a running Merlai (the admin API, with the admin credential).",
                "A tenant's objects live under tenants/<tenant>/; it calls the HTTP API with 'Authorization: Bearer <its API key>'."},
        subcommands = {TenantsCommand.Create.class, TenantsCommand.Revoke.class, TenantsCommand.ListTenants.class})
final class TenantsCommand {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static int failed(String subject, AdminConnection.Answer answer) {
        return InputFailure.report(subject, answer.status() + ": " + answer.problem());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL},
            description = {"Creates a tenant and prints its API key on stdout, the only time it is shown (only its hash is kept).",
                    "For a tenant that exists, issues one more key (the old ones keep working) and, with --plan, moves it to that plan."},
            footer = {"", "Example: key=$(merlai tenants create acme --plan pro)"})
    static final class Create implements java.util.concurrent.Callable<Integer> {
        @Mixin
        AdminConnection admin;

        @Parameters(paramLabel = "TENANT", description = "1-63 letters, digits, '.', '-' or '_'")
        String tenant;

        @Option(names = "--plan", paramLabel = "PLAN", description = "the plan (default: the configured default plan)")
        String plan;

        @Override
        public Integer call() throws IOException, InterruptedException {
            var body = MAPPER.createObjectNode().put("tenant", tenant);
            if (plan != null) body.put("plan", plan);
            AdminConnection.Answer answer = admin.send("POST", "/admin/tenants", body.toString());
            if (answer.status() != 201) return failed("tenants create", answer);
            System.err.println("tenant " + tenant + " (plan " + answer.body().path("plan").asText() + "): its API key follows; it is shown this once");
            System.out.println(answer.body().path("apiKey").asText());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL}, description = "Revokes a tenant: every one of its keys is refused (401) from now on.")
    static final class Revoke implements java.util.concurrent.Callable<Integer> {
        @Mixin
        AdminConnection admin;

        @Parameters(paramLabel = "TENANT")
        String tenant;

        @Override
        public Integer call() throws IOException, InterruptedException {
            AdminConnection.Answer answer = admin.send("DELETE", "/admin/tenants/" + tenant, null);
            if (answer.status() != 200) return failed("tenants revoke", answer);
            System.out.println("tenant " + tenant + " revoked at " + answer.body().path("revokedAt").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL}, description = "Lists the tenants: id, plan, state, number of keys, created.")
    static final class ListTenants implements java.util.concurrent.Callable<Integer> {
        @Mixin
        AdminConnection admin;

        @Override
        public Integer call() throws IOException, InterruptedException {
            AdminConnection.Answer answer = admin.send("GET", "/admin/tenants", null);
            if (answer.status() != 200) return failed("tenants list", answer);
            System.out.printf("%-24s %-8s %-8s %4s  %s%n", "TENANT", "PLAN", "STATE", "KEYS", "CREATED");
            for (JsonNode tenant : answer.body().path("tenants")) {
                System.out.printf("%-24s %-8s %-8s %4d  %s%n", tenant.path("tenant").asText(), tenant.path("plan").asText(), tenant.path("state").asText(),
                        tenant.path("keys").asInt(), tenant.path("createdAt").asText());
            }
            return 0;
        }
    }
}
