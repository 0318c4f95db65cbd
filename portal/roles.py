"""The staff groups of the portal, named in one place (created by home/migrations)."""

EDITORS = "Editors"
MODERATORS = "Moderators"

MODERATION_WORKFLOW = "审核发布"
MODERATION_TASK = "审核员审核"
MEMBERSHIP_OFFICERS = "Membership officers"
EXPERT_REVIEWERS = "Expert reviewers"
EXPERT_CHAIRS = "Expert review chairs"
