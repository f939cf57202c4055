"""The HTML report (`sdlab report`): a static site drawn from analysis' frames."""
