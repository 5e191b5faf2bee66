"""The notice parser's old name: it is build_scripts/plumbing/notice.py (a leaf: the rules compiler
reads it too).  This module is that module, so `from build_scripts.pages import notice` keeps working."""

import sys

from build_scripts.plumbing import notice

sys.modules[__name__] = notice
