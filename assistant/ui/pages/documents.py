import streamlit as st

st.title("Documents")
st.info("This page is not built yet.")
