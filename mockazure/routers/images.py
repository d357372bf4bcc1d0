"""Placeholder: the images family's routes (filled in by its issue)."""

from fastapi import APIRouter

router = APIRouter(tags=["images"])
