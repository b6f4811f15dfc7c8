"""Nimbus bootstrap for the python3.* Lambda runtimes: `python3 -S bootstrap.py --site-packages DIRS`.

The runtime itself is the module `_nimbus_runtime` next to this file. It is imported
rather than run as a script so that python uses its cached bytecode (which the server
writes once, at start) instead of compiling it on every cold start.
"""

import _nimbus_runtime

_nimbus_runtime.main()
