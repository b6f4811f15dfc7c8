"""Shutdown: SIGTERM (a service manager) or SIGINT (Ctrl-C) stops the server cleanly,
the data stays on disk, and a restart on the same data directory serves again."""

import signal

import pytest

import harness


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_cleanly_and_the_data_survives_a_restart(start_server, client, signum):
    server = start_server()
    assert client("sts", endpoint=server.endpoint).get_caller_identity()["Account"] == "000000000000"

    server.signal(signum)
    code = server.wait(harness.STOP_TIMEOUT_SECONDS)

    assert code is not None, f"still running {harness.STOP_TIMEOUT_SECONDS}s after {signum.name}; log:\n{server.log()[-2000:]}"
    assert code == 0, f"exit code {code} after {signum.name}; log:\n{server.log()[-2000:]}"
    assert (server.data_dir / "nimbus.sqlite").is_file(), f"no nimbus.sqlite in {sorted(p.name for p in server.data_dir.iterdir())}"

    restarted = start_server(data_dir=server.data_dir)

    assert harness.get_health(restarted.endpoint)[0] == 200
    assert client("sts", endpoint=restarted.endpoint).get_caller_identity()["Account"] == "000000000000"
