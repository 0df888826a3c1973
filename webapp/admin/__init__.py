"""Programme administration (admin role): the review queue, facilities, notices, users and roles, CSV
import/export and the dashboard. ``views.init_app`` registers the blueprint."""
