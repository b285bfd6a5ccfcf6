"""`advisor serve`: the recommend, predict, catalog and prompts APIs over HTTP (FastAPI on
uvicorn), for scripts and teams.

Nothing here is imported by `import advisor`: the web framework loads only when the server is
built (`advisor.serve.app.create_app`). Modules, one job each:

- `settings`: what the server is started with (address, catalog URL, write token, limits);
- `models`: the request and response bodies that `advisor schema` does not already define;
- `body`: strict JSON request bodies (UTF-8, nesting depth, finite numbers);
- `errors`: every error as a JSON body with the right status;
- `gate`: running library calls from worker threads without racing on lazily built caches,
  with a time limit and a bounded queue;
- `auth`: the write token; `context`: what endpoints reach through the request;
- `routes_*`: the endpoints; `app`: the application; `server`: uvicorn on a socket;
- `process`, `load`: a server in a child process and a bounded concurrent client (tests,
  `advisor.benchmarks.bench_serve`).
"""
