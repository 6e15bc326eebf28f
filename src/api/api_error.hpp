// A request the API refuses: its HTTP status, a message for people and the
// query parameter at fault, answered as {"error": ..., "param": ...}.
#pragma once

#include <stdexcept>
#include <string>

namespace brotr::api {

class ApiError : public std::runtime_error {
public:
    ApiError(int status, const std::string& message, std::string param = {})
        : std::runtime_error(message), status_(status), param_(std::move(param)) {}
    int status() const { return status_; }
    const std::string& param() const { return param_; }  // empty when no parameter is at fault

private:
    int status_;
    std::string param_;
};

// 400 naming the parameter.
inline ApiError bad_param(const std::string& param, const std::string& message) {
    return ApiError(400, message, param);
}

}  // namespace brotr::api
