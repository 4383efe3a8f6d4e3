"""The Streamlit front end: `app.py` is the router, `pages/` holds one thin script per page,
`resources.py` the objects built once per process. Logic stays in assistant/ and ingest/."""
