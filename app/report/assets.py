"""The files every report page shares: the Vega bundle, the style sheet and the page script.

All of them are written into the report's `assets/` folder and referenced relatively, so the
pages open from disk (file://) with no server and no network. The Vega bundle (vega, vega-lite
and vega-embed as one classic script that sets window.vegaEmbed) comes from the
vl-convert-python package; building it takes ~3 s, so it is cached per package version.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from importlib.resources import files
from pathlib import Path

VEGA_FILE = "vega-bundle.js"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sdlab" / "report"


def vega_bundle() -> str:
    """vega + vega-lite + vega-embed as one script (cached under ~/.cache/sdlab/report)."""
    import altair as alt
    import vl_convert as vlc

    # The Vega-Lite version altair writes specs for, among those vl-convert bundles.
    wanted = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    versions = vlc.get_vegalite_versions()
    vl = wanted if wanted in versions else versions[-1]
    key = hashlib.sha256(f"{vlc.__version__} {vl}".encode()).hexdigest()[:16]
    cached = _cache_dir() / f"vega-{key}.js"
    if cached.exists():
        return cached.read_text(encoding="utf-8")
    bundle = vlc.javascript_bundle(vl_version=vl)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(cached)  # atomic: two builds at once never read half a file
    except OSError:
        pass  # a read-only home only costs the 3 s again next time
    return bundle


def write_assets(out: Path) -> dict[str, int]:
    """Write the shared files into `out/assets`; return their sizes in bytes."""
    assets = out / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / VEGA_FILE).write_text(vega_bundle(), encoding="utf-8")
    static = files("app.report") / "static"
    for name in ("report.css", "report.js"):
        with (static / name).open("rb") as src, (assets / name).open("wb") as dst:
            shutil.copyfileobj(src, dst)
    return {p.name: p.stat().st_size for p in assets.iterdir()}
