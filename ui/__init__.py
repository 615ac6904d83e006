"""The only Streamlit-aware code besides pages/: cached loaders, the shared sidebar,
rendering and download helpers. No business logic here either: call dsdash."""
