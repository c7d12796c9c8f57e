"""The dashboard's library: warehouse access, queries, charts, maps, URL state and UI texts."""
