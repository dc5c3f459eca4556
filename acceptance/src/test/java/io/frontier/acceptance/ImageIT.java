package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container image, built from this checkout's distribution by {@code deploy/image/build.sh} (no registry, no
 * daemon) and run in podman by {@code deploy/image/smoke.sh}: ready on /readyz, a feature phone connected through
 * the published port acknowledges a push, /metrics counts it, and SIGTERM stops it. Both scripts install what
 * they need (buildah, podman, runc) from Debian's packages.
 */
class ImageIT {
    private static final Path IMAGE = Distribution.checkout().resolve("deploy/image");
    private static final Duration BUILD = Duration.ofMinutes(10);

    @Test
    void theImageRunsStandalone_aDeviceGetsItsPush_andSigtermStopsIt() {
        Ctl.Result build = Ctl.exec(List.of(IMAGE.resolve("build.sh").toString()), Map.of(), BUILD);
        assertThat(build.exit()).as("%s", build).isZero();
        assertThat(build.out()).contains("written to");

        Ctl.Result smoke = Ctl.exec(List.of(IMAGE.resolve("smoke.sh").toString()), Map.of(), BUILD);
        assertThat(smoke.exit()).as("%s", smoke).isZero();
        assertThat(smoke.err()).contains("push: smoke", "acknowledged", "metrics: frontier_edge_pushes_total");
        assertThat(smoke.out()).contains("smoke test passed");
    }
}
