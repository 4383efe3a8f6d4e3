import streamlit as st

st.title("Drafting")
st.info("This page is not built yet.")
