"""yuanqu (园区): the operating platform of an economic and technological development zone."""
