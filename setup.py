"""Packages found by themselves: every package below autograder/, and data/ as course_data."""
from setuptools import find_packages, setup

setup(packages=find_packages(include=["autograder", "autograder.*"]) + ["course_data"],
      package_dir={"course_data": "data"})
