"""Imported once by the fork server the build's workers start from (background.worker_context):
it loads what reading Chinese text needs (jieba's dictionary and word tags, pypinyin's tables:
~0.8 s in each process that loads them), so that every pinyin or search worker forked from it
starts with them loaded."""

import gc

from weiquan.zh import reading

reading.load_dictionary()
gc.freeze()   # loaded for good: the workers' collections never walk (nor copy) these objects
