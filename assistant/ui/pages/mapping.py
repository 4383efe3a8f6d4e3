import streamlit as st

st.title("Mapping")
st.info("This page is not built yet.")
