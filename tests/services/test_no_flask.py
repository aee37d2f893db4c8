"""Services run without a Flask app (issue 16): importing every module under
moderation.services, in a fresh interpreter, loads no Flask and no Flask extension, directly
or through what they import (models, db, secretbox, settings, policy, the engine)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, json, pkgutil, sys
import moderation.services as services
names = sorted(m.name for m in pkgutil.walk_packages(services.__path__, "moderation.services."))
for name in names:
    importlib.import_module(name)
web = sorted(m for m in sys.modules
             if m in ("flask", "flask_login", "werkzeug.local")
             or m.startswith(("flask.", "flask_")))
print(json.dumps({"imported": names, "web": web}))
"""


def _probe() -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_service_module_imports_flask():
    result = _probe()
    # every service module was imported (a new one is covered without editing this test)
    expected = sorted(f"moderation.services.{p.stem}"
                      for p in (ROOT / "moderation" / "services").glob("*.py")
                      if p.stem != "__init__")
    assert result["imported"] == expected
    assert result["web"] == [], f"importing the services loaded {result['web']}"


def test_the_probe_sees_flask_when_it_is_imported():
    """The check can fail: the web side (the app factory) does load Flask."""
    probe = PROBE.replace("import moderation.services as services",
                          "import moderation.app\nimport moderation.services as services")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    web = json.loads(done.stdout.strip().splitlines()[-1])["web"]
    assert "flask" in web and "flask_sqlalchemy" in web
