"""Leaflet output: typst sources, fonts, PDFs. Imports weiquan.content and weiquan.zh."""
