import streamlit as st

st.title("Chat")
st.info("This page is not built yet.")
