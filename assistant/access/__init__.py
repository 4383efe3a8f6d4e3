"""Need-to-know: profiles and the marking rule (profiles.py), the users file and its
passwords, and the audit log. The store applies a profile through `visible_to`; nothing else
decides what a user may see."""
