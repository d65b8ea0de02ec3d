"""The province's yearly report on the digital transformation of its cooperatives."""
