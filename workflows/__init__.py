"""One Temporal workflow per pathway, on a shared step runner (workflows.hire)."""
