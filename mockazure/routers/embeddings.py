"""Placeholder: the embeddings family's routes (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter(tags=["embeddings"])
