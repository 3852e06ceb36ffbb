"""Entry script of the frozen app (PyInstaller needs a file, not a `module:function`).

The same executable also runs the demo simulator and its video renderer: app.main() forwards
`--simulator` and `--render-video` itself, since a frozen app has no `python -m`.
"""

import sys

from vidu_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
