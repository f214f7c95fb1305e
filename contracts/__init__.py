"""The ground floor: everything that crosses the Temporal boundary.

Plain dataclasses, enums and names, importing only ``pathways`` (and the standard library):
workflows, activities, the store, the API and the tests all stand on it.
"""
