"""German text handling shared by ingestion and answering."""
