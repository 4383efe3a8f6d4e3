"""The ways in: the `planassist` command (cli.py and the feature commands it registers) and
the Streamlit app (ui/). They hold no answering logic; they read options, call the core,
features and evals, and show the results."""
