"""Mapping of records to RDF: one module per kind of source, all writing N-Triples terms."""
