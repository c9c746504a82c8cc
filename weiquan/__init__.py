"""weiquan: content about women's and children's rights → phone-first site + leaflets."""

__version__ = "0.1.0"
