"""The answering core: retrieval over a profile's view of the store, the extractive and
chat-model answerers, claim checks and the engine that ties them together. Depends on ingest/,
access/ (the profile a view is for) and config only; features, evals and front ends build on it."""
