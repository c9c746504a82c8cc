"""Search output: the static site index and the staff search / related content. Imports weiquan.content and weiquan.zh."""
