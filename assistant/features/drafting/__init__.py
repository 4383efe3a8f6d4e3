"""Drafting plan sections from the corpus: templates of questions, each answered with the
same retrieval and claim checking as `ask`, assembled into a cited draft with its gaps."""
