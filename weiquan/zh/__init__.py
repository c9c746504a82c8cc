"""Chinese text tools shared by every output: numerals, pinyin readings, search terms. Imports nothing of weiquan."""
