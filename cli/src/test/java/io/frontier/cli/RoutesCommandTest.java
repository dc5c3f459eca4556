package io.frontier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ctl routes} and its subcommands: their options work before or after the subcommand. */
class RoutesCommandTest {
    private static FakeAdminService service;

    @BeforeAll
    static void startService() throws Exception {
        service = new FakeAdminService();
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }

    @BeforeEach
    void reset() {
        service.routes.clear();
    }

    @ParameterizedTest(name = "--target {0} the subcommand")
    @ValueSource(strings = {"before", "after"})
    void set_list_delete_honourTheTarget(String where) {
        boolean before = where.equals("before");
        Ctl set = before ? Ctl.run("routes", "--target", service.target(), "set", "1001", "localhost:7100,timeout=2s")
                : Ctl.run("routes", "set", "--target", service.target(), "1001", "localhost:7100,timeout=2s");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(service.routes).containsEntry(1001, "localhost:7100,timeout=2s");

        Ctl list = before ? Ctl.run("routes", "--target", service.target(), "list")
                : Ctl.run("routes", "list", "--target", service.target());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("1001\\s+localhost:7100,timeout=2s");

        Ctl delete = before ? Ctl.run("routes", "--target", service.target(), "delete", "1001")
                : Ctl.run("routes", "delete", "1001", "--target", service.target());
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(service.routes).isEmpty();
    }

    @ParameterizedTest(name = "-o json {0} the subcommand")
    @ValueSource(strings = {"before", "after"})
    void json_printsTheTimeoutAsGiven_beforeOrAfterTheSubcommand(String where) {
        service.routes.put(1001, "localhost:7100,timeout=2s");
        Ctl list = where.equals("before") ? Ctl.run("routes", "-o", "json", "--target", service.target(), "list")
                : Ctl.run("routes", "list", "-o", "json", "--target", service.target());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("\"localhost:7100,timeout=2s\"").doesNotContain("\\u003d");
        assertThat(JsonParser.parseString(list.out()).getAsJsonObject().getAsJsonArray("routes").get(0)
                .getAsJsonObject().get("target").getAsString()).isEqualTo("localhost:7100,timeout=2s");
    }

    @Test
    void routesAlone_lists_withItsOwnOptions() {
        service.routes.put(7, "backend:1");
        Ctl list = Ctl.run("routes", "--target", service.target());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("7\\s+backend:1");
    }
}
