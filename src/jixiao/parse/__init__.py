"""Parse stage: raw sheets become the layout-independent :class:`~jixiao.model.Evaluation`."""
