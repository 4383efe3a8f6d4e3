"""Planning Assistant web app: `streamlit run app.py`. This file only routes; each page is a
thin script in assistant/frontends/ui/pages/."""

import streamlit as st

from assistant.frontends.ui.login import gate

st.set_page_config(page_title="Planning Assistant", layout="wide")
gate()  # the login when users are configured; stops here until the user is signed in

PAGES = "assistant/frontends/ui/pages"
navigation = st.navigation({
    "Ask": [st.Page(f"{PAGES}/chat.py", title="Chat", default=True),
            st.Page(f"{PAGES}/documents.py", title="Documents")],
    "Plan": [st.Page(f"{PAGES}/drafting.py", title="Drafting"),
             st.Page(f"{PAGES}/mapping.py", title="Mapping")],
    "Check": [st.Page(f"{PAGES}/evaluation.py", title="Evaluation")],
})
navigation.run()
