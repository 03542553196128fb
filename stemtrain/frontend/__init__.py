"""The course's own browser side: small anywidget controls (ES modules and one style sheet in this folder).

A layer below the quiz views, figures and page widgets that all use it; it imports nothing of the course.
"""
