"""Both bootstraps started as standbys (`--standby`): they ask for their assignment before
anything else, take on its environment whole (nothing of their own start-up environment is
left), change to the task root, and then run exactly as a runtime started for the function."""

import pytest

PYTHON_HANDLER = """
import os, time
LOADED_IN = os.getcwd()
def handler(event, context):
    return {"marker": os.environ.get("MARKER"), "standby_only": os.environ.get("STANDBY_ONLY"),
            "cwd": os.getcwd(), "loaded_in": LOADED_IN, "name": context.function_name,
            "tz": time.strftime("%Z"), "event": event}
"""

NODE_HANDLER = """
const loadedIn = process.cwd();
exports.handler = async (event, context) => ({
  marker: process.env.MARKER || null, standby_only: process.env.STANDBY_ONLY || null,
  cwd: process.cwd(), loaded_in: loadedIn, name: context.functionName,
  tz: new Date(0).toString().includes('GMT+0900') ? 'JST' : 'other', event,
});
"""


@pytest.mark.parametrize("lang", ["python", "node"])
def test_a_standby_takes_on_its_assignment(start_function, runtime_api, lang, tmp_path):
    files = {"app.py": PYTHON_HANDLER} if lang == "python" else {"app.js": NODE_HANDLER}
    start_function(lang, files, "app.handler", env={"MARKER": "assigned", "TZ": "Asia/Tokyo"}, standby=True)
    kind, _, body = runtime_api.invoke({"n": 1})
    assert kind == "response", body
    assert runtime_api.assignment_requests == 1
    assert runtime_api.assignment_tokens == ["token-1"], "the standby proves itself with the token it was started with"
    task = str(tmp_path / "task")
    assert body["marker"] == "assigned"
    assert body["standby_only"] is None, "the standby's own environment must not survive its assignment"
    assert body["cwd"] == task and body["loaded_in"] == task
    assert body["name"] == "fn"
    assert body["tz"] == "JST", "the assigned TZ applies, though the standby started with another"
    assert body["event"] == {"n": 1}
