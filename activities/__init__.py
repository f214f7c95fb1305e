"""Activities: all of hirepath's I/O (the store, email) on behalf of the workflows."""
