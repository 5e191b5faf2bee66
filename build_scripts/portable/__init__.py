"""The portable build: the same site, working when opened from files (file://) with no server.

`make portable` builds it (the same render into site-portable/, then the post step with
`--portable`, build_scripts/build.py, which calls post.py) and zips it (portable/dist.py).  The served
build is untouched.  Chromium gives a file:// page an opaque origin, where
fetch(), module scripts, module workers and importScripts() of files fail, and only classic
<script src> and classic workers made from Blob URLs work.  So the portable build:

- keeps the served layout (every page at <folder>/index.html, so every relative URL the generators
  compute stays right) and adds `index.html` to each link to a folder (links.py);
- replaces each page's module scripts with a classic bundle of the same modules, and puts
  js/portable.js first in <head>: it starts the site's workers from Blobs (scripts.py);
- delivers what the workers would fetch (the worker bundles, Pyodide's wasm and standard
  library, the engine bundle) as classic data scripts (payload.py, bundle.mjs);
- inlines the search index into search/search_index.js, which Material's bundle loads itself
  when the page is a file (the same as Material's `offline` plugin, which would also add a
  script from unpkg.com, so it is not used).
"""
