# Kernel settings for the course (the Makefile points IPYTHONDIR here for make course/test/lab/bench).
#
# TensorFlow 2.21 writes C++ log lines straight to the process's stderr ("oneDNN custom operations
# are on", "failed call to cuInit", tf.data "unknown attribute" notices) regardless of
# TF_CPP_MIN_LOG_LEVEL. ipykernel >= 6 copies that low-level output into the notebook, where it
# reads like an error. Leave it on the terminal that started Jupyter instead, as Jupyter did before
# ipykernel 6; Python warnings, exceptions and print() still appear in the notebook as usual.
c = get_config()  # noqa: F821
c.IPKernelApp.capture_fd_output = False
