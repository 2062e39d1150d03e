"""satupintu: public-service complaint handling and service-quality measurement for a Pemda."""

__version__ = "0.1.0"
