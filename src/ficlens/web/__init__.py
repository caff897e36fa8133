"""The local web UI over the library: ``ficlens serve``.

Search with the filters of ``ficlens library search``, a page per fic showing its
HTML report (rendered from the stored analysis), and the corpus stats with their charts.
Everything is read from one library file through the library's own functions; the
server binds 127.0.0.1 unless told otherwise. See ``app.py`` for the security choices.
"""

from __future__ import annotations

from ficlens.web.app import check_library, create_app

__all__ = ["check_library", "create_app"]
