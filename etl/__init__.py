"""ETL of the Regio Ecosysteem Monitor: CBS open data into a DuckDB warehouse."""
