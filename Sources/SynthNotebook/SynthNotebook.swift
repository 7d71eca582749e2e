// SynthNotebook: see the module map in Package.swift. This module is filled by its issue.
