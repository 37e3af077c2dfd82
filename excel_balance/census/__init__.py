"""Census workbooks: the fill-in template, the reader and its validation."""
