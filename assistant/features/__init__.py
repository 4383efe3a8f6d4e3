"""What planners make with the core: plan-section drafts (drafting/) and activity-to-objective
mappings (mapping/). Each uses the core's answerers and retrieval, never the store directly."""
