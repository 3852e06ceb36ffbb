"""Vidu Desktop: still images to videos with Novita AI's Vidu Q3 Turbo image-to-video API."""

__version__ = "0.1.0"
APP_NAME = "Vidu Desktop"
APP_ID = "vidu-desktop"
